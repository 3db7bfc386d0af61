export * from "../../../facade/phonepassword-smsdelivery.js";
