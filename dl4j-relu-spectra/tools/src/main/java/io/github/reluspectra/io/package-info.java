/**
 * Files at the edges: outputs that appear only when complete and never land on an input, and error messages
 * that give the reason of an I/O failure in the user's terms.
 */
package io.github.reluspectra.io;
