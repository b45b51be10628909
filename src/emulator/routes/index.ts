/** Every API route. The router picks the most specific match, so order does not matter. */
import type { Router } from '../http/router';
import { applicationRoutes } from './applications';
import { channelRoutes } from './channels';
import { channelWriteRoutes } from './channelWrites';
import { guildRoutes } from './guilds';
import { expressionWriteRoutes } from './expressionWrites';
import { guildWriteRoutes } from './guildWrites';
import { memberWriteRoutes } from './memberWrites';
import { messageRoutes } from './messages';
import { messageWriteRoutes } from './messageWrites';
import { roleWriteRoutes } from './roleWrites';
import { userRoutes } from './users';
import { webhookRoutes } from './webhooks';

export function registerRoutes(router: Router): void {
  userRoutes(router);
  applicationRoutes(router);
  guildRoutes(router);
  guildWriteRoutes(router);
  memberWriteRoutes(router);
  expressionWriteRoutes(router);
  roleWriteRoutes(router);
  channelRoutes(router);
  channelWriteRoutes(router);
  messageRoutes(router);
  messageWriteRoutes(router);
  webhookRoutes(router);
}
