export * from "../../facade/invitations.js";
export { default } from "../../facade/invitations.js";
