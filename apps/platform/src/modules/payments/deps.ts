import type { Channel, ChannelId } from '@scanpay/channels';
import type { ResolutionTimings } from '../../config.ts';
import type { Db } from '../../db/index.ts';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What the payment operations need from the rest of the platform. */
export interface PaymentsDeps {
  db: Db;
  channels: Partial<Record<ChannelId, Channel>>;
  timings: ResolutionTimings;
  log: Logger;
  /** Where channels send asynchronous notifications, e.g. http://127.0.0.1:8080/v1/notify. */
  notifyBaseUrl?: string;
  /** Nudges the resolution worker when a payment needs it now. */
  wakeResolver: () => void;
  /** Diagnoses a payment still undecided past its alert deadline (the diagnosis module); returns the incident id. */
  diagnoseUndecided?: (paymentId: string) => Promise<string | undefined>;
  now: () => Date;
}
