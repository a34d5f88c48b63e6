import type { Flow } from '../core/flow';
import { askFlow } from './ask';
import { certifyFlow } from './certify';
import { dossierFlow } from './dossier';
import { feedbackFlow } from './feedback';
import { helpFlow } from './help';
import { cancelFlow, menuFlow } from './menu';
import { officeLinkFlow } from './office-link';
import { settingsFlow, stopFlow } from './settings';
import { staffLinkFlow } from './staff-link';

/** Every flow of the assistant. The dialog routes `<name>:...` actions to the flow of that name. */
export function createFlows(): Flow[] {
  return [menuFlow, cancelFlow, helpFlow, settingsFlow, stopFlow, askFlow, dossierFlow, feedbackFlow, certifyFlow, staffLinkFlow, officeLinkFlow];
}

/** Free text with no flow in progress goes here (questions about procedures). */
export const DEFAULT_FLOW = 'ask';
export const MENU_FLOW = 'menu';
