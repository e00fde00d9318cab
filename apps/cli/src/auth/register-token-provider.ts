import { addTokenProvider } from '../credentials.ts';
import { freshAccessToken } from './oauth-client.ts';

// Imported once by the login command module: stored tokens are tried before MG_TOKEN.
addTokenProvider(freshAccessToken);
