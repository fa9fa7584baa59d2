import { CardFactory, type Activity, type Attachment } from 'botbuilder';
import type { OutgoingMessage } from './types.js';

/** Our message as a Bot Framework activity: text, one Adaptive Card, and file attachments. */
export const toActivity = (message: OutgoingMessage): Partial<Activity> => {
  const attachments: Attachment[] = [];
  if (message.card) attachments.push(CardFactory.adaptiveCard(message.card));
  for (const file of message.files ?? []) {
    attachments.push({ name: file.name, contentType: file.contentType, contentUrl: file.contentUrl });
  }
  return {
    type: 'message',
    ...(message.text === undefined ? {} : { text: message.text, textFormat: 'plain' }),
    ...(attachments.length > 0 ? { attachments } : {}),
  };
};
