// Seed 002, "Allow users to change their passwords": steps 1–3 of the guide with only the import
// prefix changed (supertokens-node → portcullis). The guide's TODOs are filled in with JSON answers.
import EmailPassword from "portcullis/recipe/emailpassword";
import Session from "portcullis/recipe/session";
import { verifySession } from "portcullis/recipe/session/framework/express";
import { SessionRequest } from "portcullis/framework/express";
import express from "express";

export const changePasswordRouter = express.Router();

changePasswordRouter.post("/change-password", verifySession(), async (req: SessionRequest, res: express.Response) => {
  // get the supertokens session object from the req
  let session = req.session;
  // retrive the old password from the request body
  let oldPassword = req.body.oldPassword;
  // retrive the new password from the request body
  let updatedPassword = req.body.newPassword;
  if (typeof oldPassword !== "string" || typeof updatedPassword !== "string") {
    res.status(400).json({ message: "oldPassword and newPassword must be strings" });
    return;
  }
  // get the user's Id from the session
  let userId = session!.getUserId();
  // get the signed in user's email from the getUserById function
  let userInfo = await EmailPassword.getUserById(userId);
  if (userInfo === undefined) {
    throw new Error("Should never come here");
  }
  // call signin to check that input password is correct
  let isPasswordValid = await EmailPassword.signIn(userInfo.email, oldPassword);
  if (isPasswordValid.status !== "OK") {
    res.json({ status: "WRONG_CREDENTIALS_ERROR" });
    return;
  }
  // update the user's password using updateEmailOrPassword
  let response = await EmailPassword.updateEmailOrPassword({
    userId,
    password: updatedPassword,
  });
  if (response.status !== "OK") {
    res.json(response);
    return;
  }
  // revoke all sessions for the user
  await Session.revokeAllSessionsForUser(userId);
  // revoke the current user's session, we do this to remove the auth cookies, logging out the user on the frontend.
  await req.session!.revokeSession();
  res.json({ status: "OK" });
});
