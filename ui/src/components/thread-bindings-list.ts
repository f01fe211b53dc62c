import { html, nothing } from "lit";
import { formatDuration } from "../display-format.js";
import type { ChannelsStatusResult, ThreadBindingView } from "../gateway/protocol-types.js";

/** Every channel's thread bindings, from `channels.status` (each channel's summary lists its own). */
export function threadBindingRows(status: ChannelsStatusResult): ThreadBindingView[] {
  return (status.channelOrder ?? []).flatMap((channel) => status.channels?.[channel]?.threadBindings ?? []);
}

/**
 * Conversations bound to a helper session (sessions_spawn thread: true): where, which agent and
 * session, and when the binding ends unless someone writes (idle) or at all (max age).
 */
export function renderThreadBindings(bindings: ThreadBindingView[] | undefined, now: number) {
  if (bindings === undefined) return nothing;
  if (bindings.length === 0)
    return html`<p class="muted" data-testid="thread-bindings-empty">No conversation is bound to a helper session.</p>`;
  return html`<table class="thread-bindings" data-testid="thread-bindings">
    <thead>
      <tr><th>Channel</th><th>Conversation</th><th>Agent</th><th>Session</th><th>Ends</th></tr>
    </thead>
    <tbody>
      ${bindings.map(
        (binding) => html`<tr data-testid=${`thread-binding-${binding.sessionKey}`}>
          <td>${binding.channel} <span class="muted small">${binding.accountId}</span></td>
          <td>${binding.peer}${binding.threadId ? html` <span class="muted small">thread ${binding.threadId}</span>` : nothing}</td>
          <td>${binding.agentId}</td>
          <td><code class="small">${binding.sessionKey}</code></td>
          <td>
            ${binding.expiresAt === null ? "never" : `in ${formatDuration(binding.expiresAt - now)}`}
            <span class="muted small">${binding.expiresBy}</span>
          </td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}
