// Seed 000, "Manually generating a link": the guide's code with only the import prefix changed
// (supertokens-node → portcullis). It also returns the link so the demo can show it.
import EmailPassword from "portcullis/recipe/emailpassword";

export async function createResetPasswordLink(userId: string, email: string, tenantId = "public") {
  const linkResponse = await EmailPassword.createResetPasswordLink(tenantId, userId, email);
  if (linkResponse.status === "OK") {
    console.log(linkResponse.link);
    return linkResponse.link;
  } else {
    // user does not exist or is not an email password user
    return undefined;
  }
}
