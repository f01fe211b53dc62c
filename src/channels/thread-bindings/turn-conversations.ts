import { placeOf, type ThreadBindingPlace } from "../../storage/thread-binding-store.js";

/**
 * Which channel conversation each session's running turn answers. The dispatcher's turn enters
 * here before it runs and leaves when it ends; a tool of that turn asks the gateway through a host
 * service, which knows the asking session (never from the tool's arguments), and finds its
 * conversation here. A session runs one turn at a time, so the first entry is the running one.
 */
export class TurnConversations {
  private readonly bySession = new Map<string, ThreadBindingPlace[]>();

  /** Returns the leave. */
  enter(sessionKey: string, conversation: ThreadBindingPlace): () => void {
    const entry = placeOf(conversation);
    const list = this.bySession.get(sessionKey) ?? [];
    list.push(entry);
    this.bySession.set(sessionKey, list);
    return () => {
      const current = this.bySession.get(sessionKey);
      if (!current) return;
      const index = current.indexOf(entry);
      if (index >= 0) current.splice(index, 1);
      if (current.length === 0) this.bySession.delete(sessionKey);
    };
  }

  of(sessionKey: string): ThreadBindingPlace | undefined {
    return this.bySession.get(sessionKey)?.[0];
  }
}
