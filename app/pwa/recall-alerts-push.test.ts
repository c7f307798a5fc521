import { listenForRecallAlerts, readRecallPayload, type PushWorkerScope } from "./recall-alerts-push";

const ORIGIN = "https://truyxuat.example.vn";
const PAYLOAD = {
  title: "Thu hồi: Chè búp",
  body: "Ngừng sử dụng lô TC-1.",
  url: `${ORIGIN}/t/ABC`,
  tag: "recall-b1",
  unsubscribeUrl: `${ORIGIN}/thu-hoi/huy/x.y`,
};

/** A worker scope that records what the handlers do. */
function fakeScope(openTabs: string[] = [], language = "vi-VN") {
  const handlers = new Map<string, (e: never) => void>();
  const shown: { title: string; options: Record<string, unknown> }[] = [];
  const focused: string[] = [];
  const opened: string[] = [];
  const scope: PushWorkerScope = {
    addEventListener: (type, fn) => void handlers.set(type, fn),
    location: { origin: ORIGIN },
    navigator: { language },
    registration: { showNotification: (title, options) => Promise.resolve(void shown.push({ title, options })) },
    clients: {
      matchAll: () => Promise.resolve(openTabs.map((url) => ({ url, focus: () => Promise.resolve(void focused.push(url)) }))),
      openWindow: (url) => Promise.resolve(void opened.push(url)),
    },
  };
  listenForRecallAlerts(scope);
  const fire = async (type: string, event: Record<string, unknown>) => {
    let work: Promise<unknown> = Promise.resolve();
    handlers.get(type)!({ ...event, waitUntil: (p: Promise<unknown>) => (work = p) } as never);
    await work;
  };
  return { fire, shown, focused, opened };
}

describe("the recall alerts' service worker handlers", () => {
  it("shows the payload's title and body with its tag, its links and an unsubscribe action", async () => {
    const w = fakeScope();
    await w.fire("push", { data: { json: () => PAYLOAD } });
    expect(w.shown).toEqual([
      {
        title: PAYLOAD.title,
        options: expect.objectContaining({
          body: PAYLOAD.body,
          tag: PAYLOAD.tag,
          data: { url: PAYLOAD.url, unsubscribeUrl: PAYLOAD.unsubscribeUrl },
          actions: [{ action: "unsubscribe", title: "Hủy nhận tin" }],
        }) as unknown,
      },
    ]);
    const en = fakeScope([], "en-GB");
    await en.fire("push", { data: { json: () => PAYLOAD } });
    expect(en.shown[0]!.options.actions).toEqual([{ action: "unsubscribe", title: "Unsubscribe" }]);
  });

  it("shows nothing for a payload of another shape or linking to another site", async () => {
    expect(readRecallPayload({ ...PAYLOAD, url: "https://evil.example/t/ABC" }, ORIGIN)).toBeNull();
    expect(readRecallPayload({ ...PAYLOAD, unsubscribeUrl: "javascript:alert(1)" }, ORIGIN)).toBeNull();
    expect(readRecallPayload({ ...PAYLOAD, title: 3 }, ORIGIN)).toBeNull();
    const w = fakeScope();
    await w.fire("push", {
      data: {
        json: () => {
          throw new SyntaxError("not JSON");
        },
      },
    });
    await w.fire("push", { data: null });
    expect(w.shown).toEqual([]);
  });

  it("a tap focuses a tab already on the page, else opens it; the action opens the unsubscribe page", async () => {
    const data = { url: PAYLOAD.url, unsubscribeUrl: PAYLOAD.unsubscribeUrl };
    const close = () => undefined;
    const withTab = fakeScope([PAYLOAD.url]);
    await withTab.fire("notificationclick", { action: "", notification: { data, close } });
    expect([withTab.focused, withTab.opened]).toEqual([[PAYLOAD.url], []]);
    const none = fakeScope([`${ORIGIN}/products`]);
    await none.fire("notificationclick", { action: "", notification: { data, close } });
    await none.fire("notificationclick", { action: "unsubscribe", notification: { data, close } });
    expect([none.focused, none.opened]).toEqual([[], [PAYLOAD.url, PAYLOAD.unsubscribeUrl]]);
  });
});
