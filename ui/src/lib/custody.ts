// Labels for custody log entries. The core stores an action as a stable code
// (CustodyAction::code); a code this UI does not know yet is shown as it is.
import { hasKey, t, type TKey } from "./i18n";

export function custodyActionLabel(action: string): string {
  const key = `custody.actions.${action}`;
  return hasKey(key) ? t(key as TKey) : action;
}
