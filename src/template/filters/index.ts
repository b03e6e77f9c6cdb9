// Registers every filter (import for its side effect).

import './jinja.js';
import './ansible.js';
import './data.js';
import './crypto.js';
