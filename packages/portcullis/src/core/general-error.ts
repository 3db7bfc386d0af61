/** Any API may answer this (HTTP 200); the frontend shows `message` to the user. */
export type GeneralErrorResponse = {
  status: "GENERAL_ERROR";
  message: string;
};
