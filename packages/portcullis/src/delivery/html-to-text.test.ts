import { describe, expect, it } from "vitest";
import { escapeHtml } from "./html-escape.js";
import { htmlToText } from "./html-to-text.js";

describe("escapeHtml", () => {
  it("escapes the five characters that matter in text and quoted attributes", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    expect(escapeHtml(15)).toBe("15");
  });
});

describe("htmlToText", () => {
  it("drops head, style and script, keeps paragraphs apart", () => {
    const html =
      "<html><head><title>T</title><style>p{}</style></head><body><script>alert(1)</script>" +
      "<h1>Title</h1><p>First   line<br>second line</p><div>Third</div></body></html>";
    expect(htmlToText(html)).toBe("Title\n\nFirst line\nsecond line\n\nThird");
  });

  it("keeps link targets", () => {
    expect(htmlToText(`<a href="https://x.test/r?a=1&amp;b=2" style="c">Reset <b>now</b></a>`)).toBe(
      "Reset now: https://x.test/r?a=1&b=2",
    );
    expect(htmlToText(`<a href='https://x.test/'>https://x.test/</a>`)).toBe("https://x.test/");
  });

  it("decodes entities once", () => {
    expect(htmlToText("a &lt;b&gt; &amp;lt; &#233; &#xE9; &nbsp;&unknown; &#0;")).toBe("a <b> &lt; é é &unknown; &#0;");
  });
});
