import type { Translate } from '../../../vocabulary/locales';
import type { ChannelDriver, Citizen } from '../drivers/types';

export interface ScenarioContext {
  driver: ChannelDriver;
  /** A new citizen on the driver's channel. */
  citizen: Citizen;
  vi: Translate;
  en: Translate;
}

/** One conversation every channel must carry the same way. Assert inside `run` with vitest's expect. */
export interface Scenario {
  name: string;
  run(ctx: ScenarioContext): Promise<void>;
}
