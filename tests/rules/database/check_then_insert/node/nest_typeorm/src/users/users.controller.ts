import { Body, Controller, Post } from "@nestjs/common";
import { UsersService } from "./users.service";

@Controller("users")
export class UsersController {
  constructor(private readonly usersService: UsersService) {}

  @Post()
  register(@Body() body: { email: string; name: string }) {
    return this.usersService.register(body.email, body.name);
  }

  @Post("new")
  registerNew(@Body() body: { email: string; name: string }) {
    return this.usersService.registerNew(body.email, body.name);
  }

  @Post("handles")
  claim(@Body() body: { name: string }) {
    return this.usersService.claim(body.name);
  }

  @Post("ignore")
  registerOrIgnore(@Body() body: { email: string; name: string }) {
    return this.usersService.registerOrIgnore(body.email, body.name);
  }
}
