import { MailService } from '@sendgrid/mail';
import { Client } from '@sendgrid/client';
import type { MailDataRequired } from '@sendgrid/mail';

/** The one way mail leaves netwerkpost: SendGrid's v3 mail/send, through @sendgrid/mail. */
export interface MailProvider {
  send(mail: MailDataRequired): Promise<{ statusCode: number; messageId: string | null }>;
}

export function createSendGridProvider(options: { apiKey: string; apiUrl: string; timeoutMs?: number }): MailProvider {
  if (!options.apiKey) throw new Error('SENDGRID_API_KEY is not set: no mail can be sent (neither by the worker nor by Strapi for admin mail).');
  const client = new Client();
  client.setApiKey(options.apiKey);
  client.setDefaultRequest('baseUrl', options.apiUrl);
  const service = new MailService();
  service.setClient(client);
  service.setTimeout(options.timeoutMs ?? 30_000);
  return {
    async send(mail) {
      const [response] = await service.send(mail, false);
      const header = response.headers?.['x-message-id'];
      return { statusCode: response.statusCode, messageId: typeof header === 'string' ? header : null };
    },
  };
}
