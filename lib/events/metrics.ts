import { metrics } from "../metrics";
export const eventsAppended = metrics.eventsAppended;
