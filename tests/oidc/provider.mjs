// A real OpenID Connect provider (the `oidc-provider` package) for Serva's single sign-on tests
// (tests/sso.rs). It listens on 127.0.0.1 on a free port and prints one line,
// `listening http://127.0.0.1:PORT`, once it answers.
//
//   node provider.mjs --redirect-uri http://127.0.0.1:4000/login/sso/callback \
//        --client-id serva --client-secret s3cret
//
// People sign in through the provider's own interaction forms (login: the account's id, any
// password; then consent). Test-only endpoints, under /__test/:
//   PUT  /__test/accounts/ID   {"name": …, "email": …, "preferred_username": …, "groups": [...]}
//                              makes or changes an account
//   POST /__test/rotate        replaces the signing key with a new one (a new `kid`); the old
//                              key is gone from the JWKS at once
//   GET  /__test/kid           the current key's id
import http from 'node:http';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => {
    if (a.startsWith('--')) pairs.push([a.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
for (const need of ['redirect-uri', 'client-id', 'client-secret']) {
  if (!args[need]) {
    console.error(`provider.mjs: --${need} is required`);
    process.exit(2);
  }
}

const accounts = new Map();

function newKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

let key = newKey();
let provider;
let issuer;

function build() {
  const p = new Provider(issuer, {
    clients: [
      {
        client_id: args['client-id'],
        client_secret: args['client-secret'],
        redirect_uris: [args['redirect-uri']],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // Every client must send a PKCE challenge (S256).
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email', 'groups'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    async findAccount(ctx, id) {
      if (!accounts.has(id)) return undefined;
      return {
        accountId: id,
        async claims() {
          const a = accounts.get(id);
          return { sub: id, email_verified: true, ...a };
        },
      };
    },
    jwks: { keys: [key] },
    cookies: { keys: ['serva-test-only-cookie-key'] },
    features: { devInteractions: { enabled: true } },
    // Let consent be asked every time the dev interactions want it; nothing else to set.
  });
  p.on('server_error', (ctx, err) => console.error('provider error:', err));
  return p;
}

function body(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function answer(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

async function testEndpoint(req, res, path) {
  const account = path.match(/^\/__test\/accounts\/([^/]+)$/);
  if (account && req.method === 'PUT') {
    const claims = JSON.parse((await body(req)) || '{}');
    accounts.set(decodeURIComponent(account[1]), claims);
    return answer(res, 200, { ok: true });
  }
  if (path === '/__test/rotate' && req.method === 'POST') {
    key = newKey();
    provider = build();
    return answer(res, 200, { kid: key.kid });
  }
  if (path === '/__test/kid') return answer(res, 200, { kid: key.kid });
  return answer(res, 404, { error: 'no such test endpoint' });
}

const server = http.createServer((req, res) => {
  const path = new URL(req.url, issuer).pathname;
  if (path.startsWith('/__test/')) {
    testEndpoint(req, res, path).catch((e) => answer(res, 500, { error: String(e) }));
    return;
  }
  provider.callback()(req, res);
});

server.listen(0, '127.0.0.1', () => {
  issuer = `http://127.0.0.1:${server.address().port}`;
  provider = build();
  console.log(`listening ${issuer}`);
});

// Stop with the test that started it: when stdin closes, or on a signal.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
