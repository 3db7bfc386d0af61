// The official prebuilt React UI (supertokens-auth-react), unchanged, against a Portcullis
// backend. No router: auth-react serves its pages under /auth by itself (canHandleRoute /
// getRoutingComponent) and navigates with full page loads, which is all a test needs.
import { createRoot } from "react-dom/client";
import SuperTokens, { SuperTokensWrapper } from "supertokens-auth-react";
import EmailPassword from "supertokens-auth-react/recipe/emailpassword";
import { EmailPasswordPreBuiltUI } from "supertokens-auth-react/recipe/emailpassword/prebuiltui";
import EmailVerification from "supertokens-auth-react/recipe/emailverification";
import { EmailVerificationPreBuiltUI } from "supertokens-auth-react/recipe/emailverification/prebuiltui";
import Passwordless from "supertokens-auth-react/recipe/passwordless";
import { PasswordlessPreBuiltUI } from "supertokens-auth-react/recipe/passwordless/prebuiltui";
import Session, { SessionAuth, signOut, useSessionContext } from "supertokens-auth-react/recipe/session";
import { canHandleRoute, getRoutingComponent } from "supertokens-auth-react/ui";

// The server page says which recipe to show: <div id="root" data-recipe="…" data-contact-method="…">.
const root = document.getElementById("root")!;
const recipe = root.dataset.recipe;
const contactMethod = root.dataset.contactMethod === "EMAIL_OR_PHONE" ? "EMAIL_OR_PHONE" : "EMAIL";
// data-email-verification="REQUIRED" | "OPTIONAL" adds the recipe and its verify-email screen.
const emailVerificationMode = root.dataset.emailVerification === "REQUIRED" || root.dataset.emailVerification === "OPTIONAL" ? root.dataset.emailVerification : undefined;

const origin = window.location.origin;
SuperTokens.init({
  appInfo: {
    appName: "Portcullis React UI",
    apiDomain: origin,
    websiteDomain: origin,
    // Website and API share the origin, so the API lives apart from the UI's /auth pages.
    apiBasePath: "/api/auth",
    websiteBasePath: "/auth",
  },
  recipeList: [
    recipe === "passwordless" ? Passwordless.init({ contactMethod }) : EmailPassword.init(),
    Session.init(),
    ...(emailVerificationMode !== undefined ? [EmailVerification.init({ mode: emailVerificationMode })] : []),
  ],
});

const preBuiltUIs = [
  recipe === "passwordless" ? PasswordlessPreBuiltUI : EmailPasswordPreBuiltUI,
  ...(emailVerificationMode !== undefined ? [EmailVerificationPreBuiltUI] : []),
];

function Home() {
  const session = useSessionContext();
  if (session.loading) return null;
  return (
    <main>
      <h1>Signed in</h1>
      <p>
        User id: <span id="user-id">{session.doesSessionExist ? session.userId : ""}</span>
      </p>
      <button
        id="sign-out"
        onClick={async () => {
          await signOut();
          window.location.assign("/auth");
        }}
      >
        Sign out
      </button>
    </main>
  );
}

function App() {
  return (
    <SuperTokensWrapper>
      {canHandleRoute(preBuiltUIs) ? (
        getRoutingComponent(preBuiltUIs)
      ) : (
        <SessionAuth>
          <Home />
        </SessionAuth>
      )}
    </SuperTokensWrapper>
  );
}

createRoot(root).render(<App />);
