export * from "../../../facade/passwordless-smsdelivery.js";
