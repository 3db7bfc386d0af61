// The web-js demo page's logic (served at /webjs/): plain browser JavaScript over supertokens-web-js' bundles, which define
// the globals `supertokens`, `supertokensSession`, `supertokensEmailPassword` and
// `supertokensPasswordless`.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const RESET_PATH = "/auth/reset-password";
  const VERIFY_PATH = "/auth/verify";

  supertokens.init({
    appInfo: { appName: "Portcullis demo", apiDomain: location.origin, apiBasePath: "/auth" },
    recipeList: [
      // Session.init() also patches window.fetch: requests to apiDomain get the session, and a 401
      // triggers POST /auth/session/refresh followed by a retry.
      supertokensSession.init({
        onHandleEvent: (event) => {
          logEvent(event.action);
          void updateSessionView();
        },
      }),
      supertokensEmailPassword.init(),
      supertokensPasswordless.init(),
    ],
  });

  // ---- small helpers ---------------------------------------------------------------------------

  /** data-status carries the machine-readable outcome (a web-js status or an HTTP code). */
  function setResult(element, status, text) {
    element.dataset.status = status;
    element.textContent = text;
  }

  /**
   * Runs one user action. The result is marked "pending" synchronously, inside the click/submit
   * event, so whoever waits for the next status (a person or a test) never reads a stale one.
   */
  function action(button, resultElement, work) {
    return async (event) => {
      if (event) event.preventDefault();
      setResult(resultElement, "pending", "Working…");
      button.disabled = true;
      try {
        const [status, text] = await work();
        setResult(resultElement, status, text);
      } catch (error) {
        const [status, text] = await describeError(error);
        setResult(resultElement, status, text);
      } finally {
        button.disabled = false;
      }
    };
  }

  /** web-js throws STGeneralError for GENERAL_ERROR and the Response itself for HTTP >= 300. */
  async function describeError(error) {
    if (error && error.isSuperTokensGeneralError === true) return ["GENERAL_ERROR", `GENERAL_ERROR: ${error.message}`];
    if (error instanceof Response) {
      const body = await error.json().catch(() => ({}));
      return [String(error.status), `HTTP ${error.status}: ${body.message || error.statusText}`];
    }
    return ["ERROR", `Unexpected error: ${error && error.message ? error.message : String(error)}`];
  }

  /** Turns a web-js result into [status, human text]; `okText` is used for OK. */
  function describeResult(result, okText) {
    switch (result.status) {
      case "OK":
        return ["OK", okText];
      case "FIELD_ERROR":
        return ["FIELD_ERROR", "FIELD_ERROR\n" + result.formFields.map((f) => `• ${f.id}: ${f.error}`).join("\n")];
      case "WRONG_CREDENTIALS_ERROR":
        return ["WRONG_CREDENTIALS_ERROR", "WRONG_CREDENTIALS_ERROR: wrong email or password."];
      case "RESET_PASSWORD_INVALID_TOKEN_ERROR":
        return [result.status, `${result.status}: this link is invalid, expired or already used. Request a new one.`];
      default:
        // SIGN_IN_NOT_ALLOWED, SIGN_UP_NOT_ALLOWED, PASSWORD_RESET_NOT_ALLOWED carry a reason.
        return [result.status, result.reason ? `${result.status}: ${result.reason}` : result.status];
    }
  }

  function logEvent(text) {
    const item = document.createElement("li");
    item.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
    $("events").prepend(item);
  }

  const credentials = () => [
    { id: "email", value: $("email").value },
    { id: "password", value: $("password").value },
  ];

  // ---- session badge ---------------------------------------------------------------------------

  async function updateSessionView() {
    const badge = $("session-state");
    try {
      if (await supertokensSession.doesSessionExist()) {
        const userId = await supertokensSession.getUserId();
        badge.dataset.state = "signed-in";
        badge.dataset.userId = userId;
        badge.textContent = `Signed in · ${userId}`;
        return;
      }
    } catch (error) {
      logEvent(`Could not read the session: ${error && error.message ? error.message : error}`);
    }
    badge.dataset.state = "signed-out";
    delete badge.dataset.userId;
    badge.textContent = "Signed out";
  }

  // ---- sign up / sign in / sign out ------------------------------------------------------------

  const afterSignIn = async (result, verb) => {
    if (result.status === "OK") {
      if ($("reset-email").value === "") $("reset-email").value = $("email").value;
      await updateSessionView();
    }
    return describeResult(result, `${verb} as ${result.user ? result.user.emails[0] : ""} (user id ${result.user ? result.user.id : "?"}).`);
  };

  $("auth-form").addEventListener(
    "submit",
    action($("signin-btn"), $("auth-result"), async () => afterSignIn(await supertokensEmailPassword.signIn({ formFields: credentials() }), "Signed in")),
  );

  $("signup-btn").addEventListener(
    "click",
    action($("signup-btn"), $("auth-result"), async () => afterSignIn(await supertokensEmailPassword.signUp({ formFields: credentials() }), "Signed up")),
  );

  $("signout-btn").addEventListener(
    "click",
    action($("signout-btn"), $("auth-result"), async () => {
      await supertokensSession.signOut();
      await updateSessionView();
      return ["OK", "Signed out."];
    }),
  );

  // ---- protected route -------------------------------------------------------------------------

  $("sessioninfo-btn").addEventListener(
    "click",
    action($("sessioninfo-btn"), $("sessioninfo-result"), async () => {
      // A plain fetch: web-js' interceptor handles an expired access token (401 → refresh → retry).
      const response = await fetch("/sessioninfo");
      const text = await response.text();
      let shown = text;
      try {
        shown = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // not JSON: show it as it came
      }
      await updateSessionView();
      return [String(response.status), `HTTP ${response.status}\n${shown}`];
    }),
  );

  // ---- password reset: request, then complete from the emailed link ----------------------------

  $("forgot-form").addEventListener(
    "submit",
    action($("send-reset-btn"), $("send-reset-result"), async () => {
      const email = $("reset-email").value;
      const result = await supertokensEmailPassword.sendPasswordResetEmail({ formFields: [{ id: "email", value: email }] });
      return describeResult(result, `If an account exists for ${email}, a reset link is on its way: see the outbox.`);
    }),
  );

  if (location.pathname === RESET_PATH) {
    $("reset-section").hidden = false;
    // web-js reads `token` (and `tenantId`) from this page's URL when submitting.
    if (supertokensEmailPassword.getResetPasswordTokenFromURL() === "") {
      setResult($("reset-result"), "MISSING_TOKEN", "This link has no reset token. Request a new email below.");
      $("submit-new-password-btn").disabled = true;
    }
  }

  $("reset-form").addEventListener(
    "submit",
    action($("submit-new-password-btn"), $("reset-result"), async () => {
      const result = await supertokensEmailPassword.submitNewPassword({
        formFields: [{ id: "password", value: $("new-password").value }],
      });
      if (result.status === "OK") {
        // The token is spent: drop it from the address bar and history.
        history.replaceState(null, "", "/webjs/");
        $("submit-new-password-btn").disabled = true;
      }
      return describeResult(result, "Password changed. Sign in with the new password.");
    }),
  );

  // ---- change password (seed 002's route) ------------------------------------------------------

  $("change-form").addEventListener(
    "submit",
    action($("change-password-btn"), $("change-password-result"), async () => {
      const response = await fetch("/change-password", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ oldPassword: $("old-password").value, newPassword: $("change-new-password").value }),
      });
      const body = await response.json().catch(() => ({}));
      await updateSessionView();
      if (!response.ok) return [String(response.status), `HTTP ${response.status}: ${body.message || response.statusText}`];
      if (body.status === "OK") return ["OK", "Password changed. Every session was signed out: sign in again."];
      if (body.status === "WRONG_CREDENTIALS_ERROR") return [body.status, `${body.status}: the current password is wrong.`];
      return [body.status || "ERROR", body.failureReason ? `${body.status}: ${body.failureReason}` : String(body.status)];
    }),
  );

  // ---- passwordless (seed 003: invited users only) --------------------------------------------

  /** The consume answers web-js gives; OK also ends the attempt kept in localStorage. */
  async function describeConsume(result) {
    switch (result.status) {
      case "OK":
        await supertokensPasswordless.clearLoginAttemptInfo();
        await updateSessionView();
        return ["OK", `Signed in as ${result.user.emails[0] || result.user.phoneNumbers[0]} (user id ${result.user.id}).`];
      case "INCORRECT_USER_INPUT_CODE_ERROR":
      case "EXPIRED_USER_INPUT_CODE_ERROR":
        return [
          result.status,
          `${result.status}: ${result.status === "INCORRECT_USER_INPUT_CODE_ERROR" ? "wrong" : "expired"} code, ` +
            `${result.failedCodeInputAttemptCount} of ${result.maximumCodeInputAttempts} attempts used.`,
        ];
      case "RESTART_FLOW_ERROR":
        // The backend dropped this attempt (too many wrong codes, expired or used): start over.
        await supertokensPasswordless.clearLoginAttemptInfo();
        return [result.status, `${result.status}: this sign-in attempt is over (too many wrong codes, expired or already used). Request a new code.`];
      default:
        return describeResult(result, "");
    }
  }

  $("pwless-form").addEventListener(
    "submit",
    action($("pwless-send-btn"), $("pwless-send-result"), async () => {
      const email = $("pwless-email").value;
      // An uninvited address gets GENERAL_ERROR from the seed's override, thrown as STGeneralError.
      const result = await supertokensPasswordless.createCode({ email });
      return describeResult(result, `A code and a link for ${email} are on their way: see the outbox.`);
    }),
  );

  $("pwless-resend-btn").addEventListener(
    "click",
    action($("pwless-resend-btn"), $("pwless-send-result"), async () => {
      const result = await supertokensPasswordless.resendCode();
      if (result.status === "RESTART_FLOW_ERROR") await supertokensPasswordless.clearLoginAttemptInfo();
      return describeResult(result, "A new code is on its way; the earlier one still works until it expires.");
    }),
  );

  $("pwless-code-form").addEventListener(
    "submit",
    action($("pwless-consume-btn"), $("pwless-consume-result"), async () =>
      describeConsume(await supertokensPasswordless.consumeCode({ userInputCode: $("pwless-code").value })),
    ),
  );

  // A magic link: web-js' consumeCode() with no code reads preAuthSessionId (query) and the link
  // code (fragment) from this URL. A link requested from this browser is used at once; any other
  // (an invitation, or a link opened on another device) waits for a click, so whatever merely
  // loads the page, such as a mail scanner, does not spend it.
  async function consumeLink() {
    const [status, text] = await describeConsume(await supertokensPasswordless.consumeCode());
    // Used or not, the code must not stay in the address bar or history.
    history.replaceState(null, "", "/webjs/");
    $("verify-actions").hidden = true;
    return status === "RESTART_FLOW_ERROR" ? [status, `${status}: this link is invalid, expired or already used.`] : [status, text];
  }

  async function showVerifyPage() {
    $("verify-section").hidden = false;
    const preAuthSessionId = supertokensPasswordless.getPreAuthSessionIdFromURL();
    if (!preAuthSessionId || !supertokensPasswordless.getLinkCodeFromURL()) {
      setResult($("verify-result"), "MISSING_LINK_CODE", "This link is incomplete. Open it again from the email, or request a new one.");
      return;
    }
    const attempt = await supertokensPasswordless.getLoginAttemptInfo();
    if (attempt && attempt.preAuthSessionId === preAuthSessionId) {
      await action($("verify-btn"), $("verify-result"), consumeLink)();
    } else {
      $("verify-actions").hidden = false;
      setResult($("verify-result"), "CONFIRM", "Sign in on this device with the link? Press the button to continue.");
    }
  }

  $("verify-btn").addEventListener("click", action($("verify-btn"), $("verify-result"), consumeLink));

  // ---- admin: make an admin (demo only), invite a user (seed 003's /create-user) ---------------

  /** A plain fetch to one of the app's own routes: [HTTP status, text to show]. */
  async function postJson(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    await updateSessionView();
    return [String(response.status), `HTTP ${response.status}\n${text}`];
  }

  $("make-admin-btn").addEventListener(
    "click",
    action($("make-admin-btn"), $("make-admin-result"), () => postJson("/demo/make-me-admin", {})),
  );

  $("invite-form").addEventListener(
    "submit",
    action($("invite-btn"), $("invite-result"), () => postJson("/create-user", { email: $("invite-email").value })),
  );

  if (location.pathname === VERIFY_PATH) void showVerifyPage();
  void updateSessionView();
})();
