// The guard file seed 003's NestJS tab imports ("./auth/auth.guard"). The SuperTokens guide has
// you write this guard yourself, awaiting the Express verifySession with a `next` that captures
// the error; Portcullis ships that guard instead (portcullis/nestjs: it answers 401/403 itself and
// keeps the controller from running), so the file only re-exports it.
export { AuthGuard } from "portcullis/nestjs";
