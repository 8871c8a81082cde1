import type { TaskStatus, Method } from '../../../common/domain/model';

// One color per status family, used by every tag in the app (queue rows, task header, filters).
export const STATUS_COLOR: Record<TaskStatus, string> = {
  new: 'default',
  assigned: 'blue',
  in_progress: 'processing',
  consented: 'cyan',
  sent: 'geekblue',
  delivered: 'success',
  proof_issued: 'green',
  closed: 'default',
  postal_pending: 'orange',
  postal_dispatched: 'gold',
  postal_delivered: 'success',
  postal_returned: 'error',
  in_person_pending: 'purple',
  in_person_delivered: 'success',
  in_person_failed: 'error',
  announcement_pending: 'magenta',
  announced: 'magenta',
  deemed_served: 'success',
};

export const METHOD_COLOR: Record<Method, string> = {
  electronic: 'blue',
  postal: 'orange',
  in_person: 'purple',
  announcement: 'magenta',
};
