/* Wall clock and link check, in the browser: they keep going when the server does
   not answer, and say so ("与服务器连接中断") instead of showing old data as live. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  wall: {
    started: Date.now(),
    tick: function (_n, config, lastOk) {
      const cfg = config || {};
      const tz = cfg.tz || "Asia/Shanghai";
      const en = cfg.lang === "en";
      const now = new Date();
      const part = (opts) =>
        new Intl.DateTimeFormat(en ? "en-GB" : "zh-CN", Object.assign({ timeZone: tz }, opts)).format(now);
      const date = en
        ? part({ weekday: "short", day: "2-digit", month: "short", year: "numeric" })
        : part({ year: "numeric", month: "long", day: "numeric" }) + " " + part({ weekday: "long" });
      const time = part({ hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
      const span = (cls, text) => ({
        type: "Span", namespace: "dash_html_components", props: { className: cls, children: text },
      });
      const since = lastOk || window.dash_clientside.wall.started;
      let link = null;
      if (Date.now() - since > (cfg.link_lost_ms || 35000)) {
        const at = lastOk
          ? new Intl.DateTimeFormat("zh-CN", { timeZone: tz, hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date(lastOk))
          : "--:--";
        link = span("status-alert link-lost", (en ? "Connection lost " : "与服务器连接中断 ") + at);
      }
      return [[span("date", date), span("time", time)], link];
    },
  },
});
