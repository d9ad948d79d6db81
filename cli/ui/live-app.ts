/**
 * Mounts the live view (`vigil watch --ui`) on the terminal: takes a snapshot of the running
 * driver every `periodMs` and redraws the screen (ink rewrites only what changed, so it does
 * not flicker). Stops drawing on `close()`, leaving the last frame on screen.
 */
import { createElement as h, useEffect, useState, type ReactElement } from "react";
import { render } from "ink";
import type { LiveDriver } from "../../engine/live/live-driver.js";
import type { LiveView } from "../../engine/live/live-view.js";
import { LiveScreen } from "./live-screen.js";

function App({ view, driver, periodMs }: { view: LiveView; driver: LiveDriver; periodMs: number }): ReactElement {
  const [snap, setSnap] = useState(() => view.snapshot(driver));
  useEffect(() => {
    const t = setInterval(() => setSnap(view.snapshot(driver)), periodMs);
    return () => clearInterval(t);
  }, [view, driver, periodMs]);
  return h(LiveScreen, { snap });
}

/** Starts drawing; the caller feeds `view` from the driver's hooks. */
export function mountLiveApp(view: LiveView, driver: LiveDriver, periodMs = 250): { close(): void } {
  const app = render(h(App, { view, driver, periodMs }), { exitOnCtrlC: false, patchConsole: false });
  return {
    close(): void {
      app.unmount();
    },
  };
}
