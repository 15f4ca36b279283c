import { ArrayMaxSize, IsArray, IsString, ValidateNested } from "class-validator";

export class InviteDto {
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  emails: string[];

  @IsArray()
  @IsString({ each: true })
  teamIds: string[];
}
