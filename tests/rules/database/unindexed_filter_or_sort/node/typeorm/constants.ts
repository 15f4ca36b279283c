export enum TicketStatus {
  OPEN = 1,
  PENDING,
  CLOSED,
}
