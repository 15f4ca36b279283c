import { Body, Controller, Post } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { InviteDto } from "./invite.dto";
import { Member } from "./member.entity";
import { Team } from "./team.entity";

@Controller("invites")
export class InvitesController {
  constructor(
    @InjectRepository(Member) private readonly memberRepository: Repository<Member>,
    @InjectRepository(Team) private readonly teamRepository: Repository<Team>,
  ) {}

  @Post()
  async invite(@Body() dto: InviteDto) {
    const found = [];
    for (const email of dto.emails) {
      // ruleid: SC-DB-003 (low: @ArrayMaxSize(10))
      found.push(await this.memberRepository.findOne({ where: { email } }));
    }
    for (const teamId of dto.teamIds) {
      // ruleid: SC-DB-003 (low: no maximum declared for teamIds; such loops were rarely N+1 problems on real code)
      found.push(await this.teamRepository.findOne({ where: { id: teamId } }));
    }
    return found;
  }
}
