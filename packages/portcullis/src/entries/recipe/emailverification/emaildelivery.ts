export * from "../../../facade/emailverification-emaildelivery.js";
