/**
 * The opaque listUsers cursor: the (time_joined, user_id) key of the last user on a page.
 * It is not signed; it only says where to resume, and a forged one just resumes elsewhere.
 */
import { InvalidPaginationTokenError } from "../storage-errors.js";

export interface UserCursor {
  timeJoined: number;
  userId: string;
}

export function encodeUserCursor(cursor: UserCursor): string {
  return Buffer.from(JSON.stringify([cursor.timeJoined, cursor.userId]), "utf8").toString("base64url");
}

export function decodeUserCursor(token: string): UserCursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new InvalidPaginationTokenError();
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    typeof decoded[0] !== "number" ||
    !Number.isFinite(decoded[0]) ||
    typeof decoded[1] !== "string"
  ) {
    throw new InvalidPaginationTokenError();
  }
  return { timeJoined: decoded[0], userId: decoded[1] };
}
