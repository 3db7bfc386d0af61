export * from "../../../facade/passwordless-emaildelivery.js";
