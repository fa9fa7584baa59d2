import type { CardButton } from '../../cards/types.js';
import { UploadConvertSchema } from '../../clicksend/uploads.js';
import { UsageError } from '../../errors.js';
import type { Feature } from '../actions/action.js';
import type { Command } from '../commands/command.js';
import type { BotDeps } from '../deps.js';
import { needClickSend } from './send-action.js';

/** Which form can use a converted file, and under which input. */
const USE_IN: Record<string, { form: string; input: string; title: string } | undefined> = {
  fax: { form: 'fax', input: 'file_url', title: 'Fax it' },
  mms: { form: 'mms', input: 'media_file', title: 'Send as MMS' },
  post: { form: 'letter', input: 'file_url', title: 'Post as a letter' },
  postcard: { form: 'postcard', input: 'file_urls', title: 'Post as a postcard' },
};

/** `upload <fax|mms|post|postcard|csv>` with a file attached: ClickSend converts it and answers with its URL. */
export const createUploadFeature = (deps: BotDeps): Feature => {
  const upload: Command = {
    words: ['upload'],
    role: 'sender',
    usage: 'upload <fax|mms|post|postcard|csv>',
    summary: 'Attach a file: ClickSend converts it and gives the URL to send (personal chat)',
    scopes: ['personal'],
    async run(c) {
      const convert = UploadConvertSchema.safeParse((c.args[0] ?? '').toLowerCase());
      if (!convert.success) throw new UsageError('What is the file for?', 'Type upload fax, upload mms, upload post, upload postcard or upload csv, with the file attached.');
      const [file, ...more] = c.turn.files;
      if (!file || more.length > 0) throw new UsageError('Attach exactly one file', 'Attach the file to the same message as upload.');
      const content = await deps.download(file.downloadUrl);
      const uploaded = await needClickSend(deps).uploads.upload({ convert: convert.data, content });
      await deps.audit.record(c.turn, { action: 'upload', recipients: 0, messageIds: [], detail: `converted for ${convert.data}` });
      const use = USE_IN[convert.data];
      const buttons: CardButton[] = use
        ? [{ title: use.title, verb: 'form.open', data: { form: use.form, values: { [use.input]: uploaded._url } } }]
        : [];
      await c.show(
        deps.cards.render('done', {
          title: 'File converted',
          message: 'Use this URL in a send. ClickSend keeps the file for a short while only.',
          facts: [
            { title: 'File', value: file.name },
            { title: 'URL', value: uploaded._url },
          ],
          buttons,
        }),
      );
    },
  };
  return { commands: [upload], actions: [] };
};
