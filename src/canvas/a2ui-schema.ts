import { z } from "zod";

/**
 * A2UI v0.8 server-to-client messages, checked before they reach a viewer: an agent's mistake
 * comes back to it as a tool error naming the field, and the canvas stays as it was.
 */

const BoundValue = z
  .strictObject({
    literalString: z.string().max(10_000).optional(),
    literalNumber: z.number().optional(),
    literalBoolean: z.boolean().optional(),
    path: z.string().max(512).optional(),
  })
  .refine((value) => Object.keys(value).length > 0, {
    message: "needs literalString, literalNumber, literalBoolean or path",
  });

const ComponentId = z.string().min(1).max(128);

const Children = z.union([
  z.strictObject({ explicitList: z.array(ComponentId).max(200) }),
  z.strictObject({ template: z.strictObject({ componentId: ComponentId, dataBinding: z.string().min(1) }) }),
]);

const Action = z.strictObject({
  name: z.string().min(1).max(128),
  context: z
    .array(z.strictObject({ key: z.string().min(1).max(128), value: BoundValue }))
    .max(50)
    .optional(),
});

const COMPONENTS = {
  Text: z.strictObject({
    text: BoundValue,
    usageHint: z.enum(["h1", "h2", "h3", "h4", "h5", "caption", "body"]).optional(),
  }),
  Button: z.strictObject({ child: ComponentId, action: Action, primary: z.boolean().optional() }),
  Column: z.strictObject({
    children: Children,
    distribution: z.string().optional(),
    alignment: z.string().optional(),
  }),
  Row: z.strictObject({
    children: Children,
    distribution: z.string().optional(),
    alignment: z.string().optional(),
  }),
  List: z.strictObject({ children: Children, direction: z.enum(["vertical", "horizontal"]).optional() }),
  Card: z.strictObject({ child: ComponentId }),
  TextField: z.strictObject({
    label: BoundValue,
    text: BoundValue.optional(),
    textFieldType: z.enum(["shortText", "longText", "number", "date", "obscured"]).optional(),
  }),
  CheckBox: z.strictObject({ label: BoundValue, value: BoundValue }),
  Image: z.strictObject({ url: BoundValue, fit: z.string().optional() }),
  Divider: z.strictObject({ axis: z.enum(["horizontal", "vertical"]).optional() }),
} as const;

const ComponentKinds = Object.keys(COMPONENTS) as (keyof typeof COMPONENTS)[];

const Component = z.record(z.string(), z.unknown()).superRefine((value, context) => {
  const kinds = Object.keys(value);
  if (kinds.length !== 1) {
    context.addIssue({
      code: "custom",
      message: `must hold exactly one component type (${ComponentKinds.join(", ")})`,
    });
    return;
  }
  const kind = kinds[0] as string;
  const schema = (COMPONENTS as Record<string, z.ZodType>)[kind];
  if (!schema) {
    context.addIssue({
      code: "custom",
      path: [kind],
      message: `unknown component type; known: ${ComponentKinds.join(", ")}`,
    });
    return;
  }
  const result = schema.safeParse(value[kind]);
  for (const issue of result.error?.issues ?? []) {
    context.addIssue({ code: "custom", path: [kind, ...issue.path], message: issue.message });
  }
});

const SurfaceId = z.string().min(1).max(128);

const DataEntry: z.ZodType = z.lazy(() =>
  z.strictObject({
    key: z.string().min(1),
    valueString: z.string().optional(),
    valueNumber: z.number().optional(),
    valueBoolean: z.boolean().optional(),
    valueMap: z.array(DataEntry).optional(),
  }),
);

export const A2uiMessageSchema = z
  .strictObject({
    surfaceUpdate: z
      .strictObject({
        surfaceId: SurfaceId,
        components: z
          .array(z.strictObject({ id: ComponentId, weight: z.number().optional(), component: Component }))
          .min(1)
          .max(500),
      })
      .optional(),
    dataModelUpdate: z
      .strictObject({
        surfaceId: SurfaceId,
        path: z.string().optional(),
        contents: z.array(DataEntry).max(500),
      })
      .optional(),
    beginRendering: z
      .strictObject({
        surfaceId: SurfaceId,
        root: ComponentId,
        styles: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
    deleteSurface: z.strictObject({ surfaceId: SurfaceId }).optional(),
  })
  .superRefine((message, context) => {
    const kinds = Object.keys(message).filter((key) => message[key as keyof typeof message] !== undefined);
    if (kinds.length !== 1) {
      context.addIssue({
        code: "custom",
        message:
          "each message holds exactly one of surfaceUpdate, dataModelUpdate, beginRendering, deleteSurface",
      });
    }
  });

export type A2uiMessage = z.output<typeof A2uiMessageSchema>;

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment) => (typeof segment === "number" ? `[${segment}]` : `.${String(segment)}`))
    .join("");
}

/** The messages, checked; or the first problem, as `messages[2].surfaceUpdate.components[0]…: why`. */
export function validateA2uiMessages(
  messages: unknown,
): { ok: true; messages: A2uiMessage[] } | { ok: false; error: string } {
  if (!Array.isArray(messages) || messages.length === 0)
    return { ok: false, error: "messages: expected a non-empty array" };
  if (messages.length > 100) return { ok: false, error: "messages: at most 100 per call" };
  const valid: A2uiMessage[] = [];
  for (const [index, message] of messages.entries()) {
    const result = A2uiMessageSchema.safeParse(message);
    if (!result.success) {
      const issue = result.error.issues[0];
      return {
        ok: false,
        error: `messages[${index}]${formatPath(issue?.path ?? [])}: ${issue?.message ?? "invalid"}`,
      };
    }
    valid.push(result.data);
  }
  return { ok: true, messages: valid };
}
