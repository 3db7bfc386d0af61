import { badInput } from "../../core/errors.js";
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

  /** The app parsed the body; a JSON.parse of its that threw is still the client's fault (400), not a 500. */
  protected async getJSONFromRequestBody(): Promise<unknown> {
    try {
      return await this.info.getJSONBody();
    } catch (error) {
      if (error instanceof SyntaxError) throw badInput("Request body is not valid JSON");
      throw error;
    }
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
