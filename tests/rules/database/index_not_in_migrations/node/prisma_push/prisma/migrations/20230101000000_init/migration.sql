CREATE TABLE "Ticket" (
    "id" SERIAL NOT NULL,
    "queue" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("id")
);
