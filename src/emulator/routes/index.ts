/** Every API route, in matching order (literal paths before parameterised ones). */
import type { Router } from '../http/router';
import { channelRoutes } from './channels';
import { guildRoutes } from './guilds';
import { messageRoutes } from './messages';
import { userRoutes } from './users';

export function registerRoutes(router: Router): void {
  userRoutes(router);
  guildRoutes(router);
  channelRoutes(router);
  messageRoutes(router);
}
