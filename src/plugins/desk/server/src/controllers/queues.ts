import { ownOrigin } from '../../../../../settings/cors';
import { readSecret } from '../../../../../settings/secrets';
import { QUEUE_BOARD_PATH } from '../../../../../ops/dashboard';
import { QUEUE_PASS_COOKIE, QUEUE_PASS_SECONDS, signQueuePass } from '../../../../../ops/pass';
import { answerError, type AdminContext } from './http';

interface PassContext extends AdminContext {
  secure: boolean;
  /** `secure` is the cookie jar's own idea of the connection; it refuses a Secure cookie when false. */
  cookies: { secure?: boolean; set(name: string, value: string, options: Record<string, unknown>): void };
}

/**
 * `POST /desk/queue-pass`: an admin holding `plugin::desk.queues` (Strapi's policies checked it)
 * gets the queue dashboard's pass as an httpOnly, same-site cookie limited to the dashboard's
 * path, and the dashboard's address to open (src/middlewares/queue-dashboard.ts checks the pass).
 * The cookie is Secure when the request is (TLS, or a trusted proxy says so) and also whenever the
 * CMS's public URL is https: behind a TLS proxy without TRUST_PROXY the request looks like plain
 * HTTP, but the browser reached the CMS over TLS.
 */
export default {
  async issuePass(ctx: PassContext) {
    const userId = Number(ctx.state.user?.id);
    if (!Number.isInteger(userId) || userId <= 0) return answerError(ctx, 401, 'Log in to the admin panel first.');
    const secure = ctx.secure || ownOrigin().startsWith('https:');
    // The cookie jar refuses a Secure cookie on a connection it thinks is plain; the public URL says otherwise.
    if (secure) ctx.cookies.secure = true;
    ctx.cookies.set(QUEUE_PASS_COOKIE, signQueuePass(userId, readSecret('ADMIN_JWT_SECRET')), {
      httpOnly: true,
      sameSite: 'strict',
      path: QUEUE_BOARD_PATH,
      maxAge: QUEUE_PASS_SECONDS * 1000,
      secure,
      signed: false,
      overwrite: true,
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: { url: `${QUEUE_BOARD_PATH}/`, expiresInSeconds: QUEUE_PASS_SECONDS } };
  },
};
