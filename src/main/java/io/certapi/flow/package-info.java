/**
 * The state machines of accounts, orders, authorizations, challenges and revocation. Transactions
 * live here; {@link io.certapi.flow.Statuses} computes every derived status in one place; races
 * (finalize, challenge trigger, key change, revocation) are settled by compare-and-set updates.
 * Background work (validation, delayed issuance) is queued in the database and run by workers
 * that claim it, so a crash or a second instance loses nothing. Imports {@code policy},
 * {@code validation}, {@code ca}, {@code store}, {@code config} and {@code core}; returns views,
 * never entities.
 */
package io.certapi.flow;
