import { ConflictException, Injectable } from "@nestjs/common";
import { InjectRepository } from "@nestjs/typeorm";
import { Repository } from "typeorm";
import { Handle, User } from "./user.entity";

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Handle) private readonly handles: Repository<Handle>,
  ) {}

  async register(email: string, name: string) {
    const existing = await this.users.findOne({ where: { email } });
    if (existing) {
      throw new ConflictException("email taken");
    }
    const user = this.users.create({ email, name });
    // ruleid: SC-DB-018
    return this.users.save(user);
  }

  async registerNew(email: string, name: string) {
    const exists = await this.users.exists({ where: { email } });
    if (exists) throw new ConflictException("email taken");
    const user = new User();
    user.email = email;
    user.name = name;
    // ruleid: SC-DB-018
    return this.users.save(user);
  }

  async claim(name: string) {
    const taken = await this.handles.findOneBy({ name });
    if (taken) throw new ConflictException("taken");
    // ok: SC-DB-018
    return this.handles.save({ name });
  }

  async registerOrIgnore(email: string, name: string) {
    const existing = await this.users.findOneBy({ email });
    if (existing) throw new ConflictException("email taken");
    // ok: SC-DB-018
    await this.users.createQueryBuilder().insert().into(User).values({ email, name }).orIgnore().execute();
  }
}
