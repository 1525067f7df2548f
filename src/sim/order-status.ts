import type { OrderStatus } from '../protocol/notification-types.js';
import type { SimInstrument } from './instruments.js';
import { roundTo } from './numbers.js';
import type { RestingLevel } from './session.js';

/** A resting level as the venue reports it (spec OrderStatus); `deleteReason` set = it is gone. */
export function orderStatus(inst: SimInstrument, side: 'bid' | 'ask', l: RestingLevel, change: string, deleteReason?: string): OrderStatus {
  const gone = deleteReason !== undefined;
  const remaining = gone ? 0 : roundTo(l.amount - l.filled, inst.volume_tick_size);
  let status: string;
  if (deleteReason === 'filled') status = 'filled';
  else if (gone) status = l.filled > 0 ? 'cancelled_partially_filled' : 'cancelled';
  else status = l.filled > 0 ? 'partially_filled' : 'open';
  const o: Record<string, unknown> = {
    order_id: l.orderId,
    order_type: 'limit',
    time_in_force: 'good_till_cancelled',
    instrument_name: inst.instrument_name,
    direction: side === 'bid' ? 'buy' : 'sell',
    price: l.price,
    amount: l.amount,
    filled_amount: l.filled,
    remaining_amount: remaining,
    status,
    fills: [],
    change_reason: change,
    insert_reason: 'client_request',
    create_time: l.createTime,
    persistent: false,
  };
  if (l.label !== undefined) o['label'] = l.label;
  if (deleteReason !== undefined) o['delete_reason'] = deleteReason;
  return o as unknown as OrderStatus;
}
