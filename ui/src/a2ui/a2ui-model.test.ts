import { describe, expect, it } from "vitest";
import { A2uiModel, childrenOf, resolvePath } from "./a2ui-model.js";

const form = [
  {
    surfaceUpdate: {
      surfaceId: "main",
      components: [
        { id: "root", component: { Column: { children: { explicitList: ["title", "name", "ok"] } } } },
        { id: "title", component: { Text: { text: { literalString: "Hello" }, usageHint: "h1" } } },
        {
          id: "name",
          component: { TextField: { label: { literalString: "Name" }, text: { path: "/form/name" } } },
        },
        { id: "ok-label", component: { Text: { text: { literalString: "OK" } } } },
        {
          id: "ok",
          component: {
            Button: {
              child: "ok-label",
              action: { name: "submit", context: [{ key: "name", value: { path: "/form/name" } }] },
            },
          },
        },
      ],
    },
  },
  {
    dataModelUpdate: {
      surfaceId: "main",
      contents: [{ key: "form", valueMap: [{ key: "name", valueString: "Ada" }] }],
    },
  },
  { beginRendering: { surfaceId: "main", root: "root" } },
];

describe("A2UI model", () => {
  it("draws a surface only once beginRendering names its root", () => {
    const model = new A2uiModel();
    model.sync(form.slice(0, 2));
    expect(model.renderable()).toEqual([]);
    model.sync(form);
    const [surface] = model.renderable();
    expect(surface?.root).toBe("root");
    expect(surface?.components.get("ok")?.type).toBe("Button");
    expect(model.resolve(surface!, { path: "/form/name" })).toBe("Ada");
    expect(model.resolve(surface!, { literalString: "x" })).toBe("x");
  });

  it("keeps what a person typed when the message list only grew", () => {
    const model = new A2uiModel();
    model.sync(form);
    const surface = model.renderable()[0]!;
    model.write(surface, "/form/name", "Grace");
    model.sync([
      ...form,
      {
        surfaceUpdate: {
          surfaceId: "main",
          components: [{ id: "title", component: { Text: { text: { literalString: "Hi" } } } }],
        },
      },
    ]);
    const after = model.renderable()[0]!;
    expect(model.resolve(after, { path: "/form/name" })).toBe("Grace");
    expect(after.components.get("title")?.properties.text).toEqual({ literalString: "Hi" });
  });

  it("starts afresh when the list was replaced (a reset canvas)", () => {
    const model = new A2uiModel();
    model.sync(form);
    model.write(model.renderable()[0]!, "/form/name", "Grace");
    model.sync([]);
    expect(model.surfaces.size).toBe(0);
    model.sync(form);
    expect(model.resolve(model.renderable()[0]!, { path: "/form/name" })).toBe("Ada");
  });

  it("removes a deleted surface", () => {
    const model = new A2uiModel();
    model.sync([...form, { deleteSurface: { surfaceId: "main" } }]);
    expect(model.surfaces.size).toBe(0);
  });

  it("sets a single value at a path with the `.` key, and the root without a path", () => {
    const model = new A2uiModel();
    model.sync([
      { dataModelUpdate: { surfaceId: "s", contents: [{ key: "count", valueNumber: 1 }] } },
      {
        dataModelUpdate: { surfaceId: "s", path: "/items/0", contents: [{ key: ".", valueString: "first" }] },
      },
    ]);
    const surface = model.surfaces.get("s")!;
    expect(surface.data).toEqual({ count: 1, items: { 0: "first" } });
  });

  it("repeats a template child for each item at its data binding, with relative paths", () => {
    const model = new A2uiModel();
    model.sync([
      {
        dataModelUpdate: {
          surfaceId: "s",
          contents: [
            { key: "items", valueMap: [{ key: "a", valueMap: [{ key: "label", valueString: "A" }] }] },
          ],
        },
      },
    ]);
    const surface = model.surfaces.get("s")!;
    const children = childrenOf(
      model,
      surface,
      { template: { componentId: "row", dataBinding: "/items" } },
      "/",
    );
    expect(children).toEqual([{ id: "row", contextPath: "/items/a" }]);
    expect(model.resolve(surface, { path: "label" }, "/items/a")).toBe("A");
    expect(resolvePath("label", "/items/a")).toBe("/items/a/label");
  });

  it("refuses data paths that would reach Object.prototype", () => {
    const model = new A2uiModel();
    model.sync([
      {
        dataModelUpdate: {
          surfaceId: "s",
          path: "/__proto__/polluted",
          contents: [{ key: ".", valueString: "yes" }],
        },
      },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(model.resolve(model.surfaces.get("s")!, { path: "/constructor" })).toBeUndefined();
  });
});
