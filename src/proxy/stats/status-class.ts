// Status classes as counter slots. Proxy-side errors are also 5xx; their own slot says the proxy made them.

export const SLOT_2XX = 0;
export const SLOT_3XX = 1;
export const SLOT_4XX = 2;
export const SLOT_5XX = 3;
export const SLOT_PROXY_ERROR = 4;
export const SLOTS = 5;

export const CODE_CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;

/** 1xx (a WebSocket's 101) counts as success with the 2xx. */
export function slotOfStatus(status: number): number {
  if (status < 300) return SLOT_2XX;
  if (status < 400) return SLOT_3XX;
  if (status < 500) return SLOT_4XX;
  return SLOT_5XX;
}
