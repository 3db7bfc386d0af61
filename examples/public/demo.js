// The demo page's logic: plain browser JavaScript over the portcullis-web client, which the server
// bundles at start (/vendor/portcullis-web.js). Every `portcullis.auth` method resolves to
// { data, errors }; the page shows errors.code in data-status and errors.message as the text.
import { createClient } from "/vendor/portcullis-web.js";

const $ = (id) => document.getElementById(id);
const RESET_PATH = "/auth/reset-password";
const VERIFY_PATH = "/auth/verify";

const portcullis = createClient({
  apiDomain: location.origin,
  apiBasePath: "/auth",
  tokenTransfer: "cookie",
  // A refresh failed: the session is over (revoked, or signed out in another tab).
  onSessionExpired: () => showSignedOut("Signed out (session expired)"),
});

// ---- small helpers -----------------------------------------------------------------------------

/** data-status carries the machine-readable outcome: "OK", an errors.code, or an HTTP status. */
function setResult(element, status, text) {
  element.dataset.status = status;
  element.textContent = text;
}

/**
 * Runs one user action. The result is marked "pending" synchronously, inside the click/submit
 * event, so whoever waits for the next status (a person or a test) never reads a stale one.
 * `work` returns [status, text]; the client never throws for expected outcomes, so a throw is a bug.
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
      setResult(resultElement, "ERROR", `Unexpected error: ${error && error.message ? error.message : String(error)}`);
    } finally {
      button.disabled = false;
      void updateSessionView();
    }
  };
}

/** A client result as [status, text]: `okText(data)` on success, else the error's code and message. */
function describe({ data, errors }, okText) {
  if (errors === null) return ["OK", okText(data)];
  let text = `${errors.code}: ${errors.message}`;
  if (errors.fields) text += "\n" + errors.fields.map((field) => `• ${field.id}: ${field.error}`).join("\n");
  if (errors.maximumCodeInputAttempts !== undefined) {
    text += `\n${errors.failedCodeInputAttemptCount} of ${errors.maximumCodeInputAttempts} attempts used.`;
  }
  if (errors.retryAfterSeconds !== undefined) text += `\nTry again in ${errors.retryAfterSeconds} s.`;
  return [errors.code, text];
}

const nameOf = (user) => user.emails[0] || user.phoneNumbers[0] || user.id;

/** A call to one of the app's own routes through portcullis.fetch (session added, refreshed on 401): [HTTP status, text]. */
async function postJson(path, body, headers = {}) {
  const response = await portcullis.fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return [String(response.status), `HTTP ${response.status}\n${await response.text()}`];
}

// ---- session badge -----------------------------------------------------------------------------

async function updateSessionView() {
  const badge = $("session-state");
  const exists = await portcullis.auth.doesSessionExist();
  const userId = exists.data === true ? (await portcullis.auth.getUserId()).data : null;
  if (userId) {
    badge.dataset.state = "signed-in";
    badge.dataset.userId = userId;
    badge.textContent = `Signed in · ${userId}`;
  } else {
    showSignedOut(exists.errors ? `Signed out (${exists.errors.code})` : "Signed out");
  }
}

function showSignedOut(text) {
  const badge = $("session-state");
  badge.dataset.state = "signed-out";
  delete badge.dataset.userId;
  badge.textContent = text;
}

// ---- sign up / sign in / current user / sign out -----------------------------------------------

const signedInAs = (verb) => (data) => `${verb} as ${nameOf(data.user)} (user id ${data.user.id}).`;

$("auth-form").addEventListener(
  "submit",
  action($("signin-btn"), $("auth-result"), async () =>
    describe(await portcullis.auth.signInWithEmail($("email").value, $("password").value), signedInAs("Signed in")),
  ),
);

$("signup-btn").addEventListener(
  "click",
  action($("signup-btn"), $("auth-result"), async () =>
    describe(await portcullis.auth.signUpWithEmail($("email").value, $("password").value), signedInAs("Signed up")),
  ),
);

$("user-btn").addEventListener(
  "click",
  action($("user-btn"), $("user-result"), async () =>
    describe(await portcullis.auth.getUser(), (data) => JSON.stringify(data.user, null, 2)),
  ),
);

$("signout-btn").addEventListener(
  "click",
  action($("signout-btn"), $("user-result"), async () => describe(await portcullis.auth.signOut(), () => "Signed out.")),
);

// ---- password reset: request, then complete from the emailed link ------------------------------

// The client's own reset methods are seed 001's redirect flow, which needs email verification; the
// demo has the standard FDI flow, whose link opens this page at /auth/reset-password?token=….
$("forgot-form").addEventListener(
  "submit",
  action($("send-reset-btn"), $("send-reset-result"), async () => {
    const email = $("reset-email").value;
    const response = await portcullis.fetch("/auth/user/password/reset/token", {
      method: "POST",
      headers: { "Content-Type": "application/json", rid: "emailpassword" },
      body: JSON.stringify({ formFields: [{ id: "email", value: email }] }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) return [String(response.status), `HTTP ${response.status}: ${body.message || response.statusText}`];
    if (body.status === "OK") return ["OK", `If an account exists for ${email}, a reset link is on its way: see the outbox.`];
    if (body.status === "FIELD_ERROR") return [body.status, `${body.status}\n` + body.formFields.map((f) => `• ${f.id}: ${f.error}`).join("\n")];
    return [body.status || "ERROR", body.message || body.reason ? `${body.status}: ${body.message || body.reason}` : String(body.status)];
  }),
);

const resetToken = new URLSearchParams(location.search).get("token");
if (location.pathname === RESET_PATH) {
  $("reset-section").hidden = false;
  if (!resetToken) {
    setResult($("reset-result"), "MISSING_TOKEN", "This link has no reset token. Request a new email below.");
    $("submit-new-password-btn").disabled = true;
  }
}

$("reset-form").addEventListener(
  "submit",
  action($("submit-new-password-btn"), $("reset-result"), async () => {
    const result = await portcullis.auth.resetPwdWithToken(resetToken ?? "", $("new-password").value);
    if (result.errors === null) {
      // The token is spent: drop it from the address bar and history.
      history.replaceState(null, "", "/");
      $("submit-new-password-btn").disabled = true;
    }
    return describe(result, () => "Password changed. Sign in with the new password.");
  }),
);

// ---- change password ---------------------------------------------------------------------------

$("change-form").addEventListener(
  "submit",
  action($("change-password-btn"), $("change-password-result"), async () =>
    describe(
      await portcullis.auth.changePassword($("old-password").value, $("change-new-password").value),
      () => "Password changed. Every session was signed out: sign in again.",
    ),
  ),
);

// ---- passwordless (seed 003: invited users only) -----------------------------------------------

$("pwless-form").addEventListener(
  "submit",
  action($("pwless-send-btn"), $("pwless-send-result"), async () => {
    const email = $("pwless-email").value;
    // An uninvited address gets GENERAL_ERROR from the seed's override, with its message.
    return describe(await portcullis.auth.createPasswordlessCode({ email }), () => `A code and a link for ${email} are on their way: see the outbox.`);
  }),
);

$("pwless-resend-btn").addEventListener(
  "click",
  action($("pwless-resend-btn"), $("pwless-send-result"), async () =>
    describe(await portcullis.auth.resendPasswordlessCode(), () => "A new code is on its way; the earlier one still works until it expires."),
  ),
);

$("pwless-code-form").addEventListener(
  "submit",
  action($("pwless-consume-btn"), $("pwless-consume-result"), async () =>
    describe(await portcullis.auth.consumePasswordlessCode($("pwless-code").value), signedInAs("Signed in")),
  ),
);

// A magic link: consumeMagicLink() reads preAuthSessionId (query) and the link code (fragment)
// from this URL. A link requested from this browser is used at once; any other (an invitation, or
// a link opened on another device) waits for a click, so whatever merely loads the page, such as
// a mail scanner, does not spend it.
async function consumeLink() {
  const result = await portcullis.auth.consumeMagicLink();
  // Used or not, the code must not stay in the address bar or history.
  history.replaceState(null, "", "/");
  $("verify-actions").hidden = true;
  return describe(result, signedInAs("Signed in"));
}

async function showVerifyPage() {
  $("verify-section").hidden = false;
  const preAuthSessionId = new URLSearchParams(location.search).get("preAuthSessionId");
  if (!preAuthSessionId || location.hash.length <= 1) {
    setResult($("verify-result"), "INVALID_LINK", "This link is incomplete. Open it again from the email, or request a new one.");
    return;
  }
  const attempt = (await portcullis.auth.getPasswordlessAttempt()).data;
  if (attempt && attempt.preAuthSessionId === preAuthSessionId) {
    await action($("verify-btn"), $("verify-result"), consumeLink)();
  } else {
    $("verify-actions").hidden = false;
    setResult($("verify-result"), "CONFIRM", "Sign in on this device with the link? Press the button to continue.");
  }
}

$("verify-btn").addEventListener("click", action($("verify-btn"), $("verify-result"), consumeLink));

// ---- admin: make an admin (demo only), invite a user (seed 003's /create-user) -----------------

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
