/** autocannon 8 ships no types: just the parts bench/run.ts uses. */
declare module "autocannon" {
  namespace autocannon {
    /** One HTTP/1.1 connection of the load generator. */
    interface Client {
      setHeaders(headers: Record<string, string>): void;
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
      /** Called once per connection, before it sends anything. */
      setupClient?: (client: Client) => void;
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
