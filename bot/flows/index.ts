import type { Flow } from '../core/flow';
import { comingSoon } from './coming-soon';
import { helpFlow } from './help';
import { menuFlow } from './menu';
import { settingsFlow } from './settings';

/** Every flow of the assistant. The dialog routes `<name>:...` actions to the flow of that name. */
export function createFlows(): Flow[] {
  return [menuFlow, helpFlow, settingsFlow, comingSoon('ask', 'menu.ask'), comingSoon('dossier', 'menu.dossier'), comingSoon('certify', 'menu.certify')];
}

/** Free text with no flow in progress goes here (questions about procedures). */
export const DEFAULT_FLOW = 'ask';
export const MENU_FLOW = 'menu';
