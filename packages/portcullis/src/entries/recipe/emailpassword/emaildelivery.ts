export * from "../../../facade/emailpassword-emaildelivery.js";
