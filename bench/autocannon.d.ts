/** autocannon 8 ships no types: just the parts bench/run.ts uses. */
declare module "autocannon" {
  namespace autocannon {
    /** One request of a sequence each connection sends in turn; unset fields come from the options. */
    interface RequestTemplate {
      method?: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    }

    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      pipelining?: number;
      /** Seconds before a request counts as timed out. */
      timeout?: number;
      method?: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
      headers?: Record<string, string>;
      body?: string | Buffer;
      /** Sent in turn, over and over, on every connection (each connection builds them once). */
      requests?: RequestTemplate[];
      /** Responses whose body fails this count as `mismatches`. */
      verifyBody?: (body: string) => boolean;
    }

    /** Summary of a histogram; latency in milliseconds, requests in requests per one-second sample. */
    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p50: number;
      p90: number;
      p99: number;
    }

    interface Result {
      "2xx": number;
      non2xx: number;
      errors: number;
      timeouts: number;
      mismatches: number;
      resets: number;
      /** Seconds, wall clock, rounded to 10 ms. */
      duration: number;
      latency: Histogram;
      requests: Histogram;
    }
  }

  function autocannon(options: autocannon.Options, callback: (error: Error | null, result: autocannon.Result) => void): unknown;

  export default autocannon;
}
