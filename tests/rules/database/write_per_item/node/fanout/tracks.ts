// Renumbering the tracks of ONE album writes a parent's fan-out; unhiding the hidden tracks of
// every album writes as many rows as the table holds.
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

export async function renumber(albumId: number) {
  const tracks = await prisma.track.findMany({ where: { albumId }, orderBy: { position: "asc" } });
  for (const [i, track] of tracks.entries()) {
    // ruleid: SC-DB-009 (low: the tracks of one album)
    await prisma.track.update({ where: { id: track.id }, data: { position: i + 1 } });
  }
}

export async function unhideAll() {
  const hidden = await prisma.track.findMany({ where: { hidden: true } });
  for (const track of hidden) {
    // ruleid: SC-DB-009 (high: hidden tracks of every album)
    await prisma.track.update({ where: { id: track.id }, data: { hidden: false, position: track.position } });
  }
}
