import { BaseRequest, type HTTPMethod } from "../../http/base-request.js";
import type { SessionContainerInterface } from "../../recipes/session/types.js";

/** What the SDK's custom framework builds a request from: the app parsed it already. */
export interface PreParsedRequestInfo {
  url: string;
  method: HTTPMethod | string;
  headers: Headers;
  cookies: Record<string, string>;
  query: Record<string, string>;
  getJSONBody: () => Promise<unknown>;
  getFormBody: () => Promise<unknown>;
  setSession?: (session: SessionContainerInterface) => void;
}

export class PreParsedRequest extends BaseRequest {
  private readonly info: PreParsedRequestInfo;
  session?: SessionContainerInterface;

  constructor(info: PreParsedRequestInfo) {
    super();
    this.original = info;
    this.info = info;
  }

  protected getJSONFromRequestBody(): Promise<unknown> {
    return this.info.getJSONBody();
  }

  protected getFormDataFromRequestBody(): Promise<unknown> {
    return this.info.getFormBody();
  }

  getKeyValueFromQuery = (key: string): string | undefined => this.info.query[key];

  getMethod = (): HTTPMethod => this.info.method.toLowerCase() as HTTPMethod;

  getCookieValue = (key: string): string | undefined => this.info.cookies[key];

  getHeaderValue = (key: string): string | undefined => this.info.headers.get(key) ?? undefined;

  getOriginalURL = (): string => this.info.url;

  setSession(session: SessionContainerInterface): void {
    this.session = session;
    this.info.setSession?.(session);
  }
}
