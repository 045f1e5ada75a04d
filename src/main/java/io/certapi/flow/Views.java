package io.certapi.flow;

import io.certapi.core.Identifier;
import io.certapi.core.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The read models the flows return; the web layer renders them with URLs of its own. */
public final class Views {

    private Views() {
    }

    /**
     * An account.
     *
     * @param id          account id
     * @param status      valid or deactivated
     * @param contacts    contact URLs
     * @param termsAgreed whether the terms were agreed to
     * @param createdAt   creation time
     */
    public record AccountView(String id, Status status, List<String> contacts, boolean termsAgreed,
            Instant createdAt) {
    }

    /**
     * An order with its computed status.
     *
     * @param id            order id
     * @param status        computed status
     * @param expires       expiry
     * @param identifiers   identifiers
     * @param notBefore     requested notBefore
     * @param notAfter      requested notAfter
     * @param authzIds      authorization ids, in identifier order
     * @param errorJson     the problem document that made it invalid, if any
     * @param certificateId the certificate, once valid
     * @param retryAfter    how long to wait, while processing
     * @param profile       the certificate profile asked for, if any
     * @param replaces      the certificate this order replaces (RFC 9773), if any
     * @param dueAt         while processing: when the certificate is to be signed
     */
    public record OrderView(String id, Status status, Instant expires, List<Identifier> identifiers,
            Optional<Instant> notBefore, Optional<Instant> notAfter, List<String> authzIds,
            Optional<String> errorJson, Optional<String> certificateId,
            Optional<Duration> retryAfter, Optional<String> profile,
            Optional<String> replaces, Optional<Instant> dueAt) {
    }

    /**
     * An authorization with its challenges.
     *
     * @param id         authorization id
     * @param identifier the identifier (for a wildcard, without "*.")
     * @param status     computed status
     * @param expires    expiry
     * @param wildcard   whether it is for a wildcard name
     * @param challenges the challenges
     * @param retryAfter how long to wait, while a challenge is being validated
     */
    public record AuthorizationView(String id, Identifier identifier, Status status, Instant expires,
            boolean wildcard, List<ChallengeView> challenges, Optional<Duration> retryAfter) {

        /** The challenge being validated, if any. */
        public Optional<ChallengeView> processing() {
            return challenges.stream().filter(c -> c.status() == Status.PROCESSING).findFirst();
        }
    }

    /**
     * A challenge.
     *
     * @param id             challenge id
     * @param authzId        its authorization
     * @param type           challenge type
     * @param token          token
     * @param status         status
     * @param validated      when it became valid
     * @param errorJson      the problem document that made it invalid
     * @param validationJson the validation records, as a JSON array
     * @param dueAt          while processing: when the next validation attempt is due (now
     *                       while one is running)
     * @param retryAfter     while processing: how long to wait before asking again
     */
    public record ChallengeView(String id, String authzId, String type, String token, Status status,
            Optional<Instant> validated, Optional<String> errorJson,
            Optional<String> validationJson, Optional<Instant> dueAt,
            Optional<Duration> retryAfter) {
    }

    /**
     * One page of an account's orders.
     *
     * @param orderIds the order ids of this page
     * @param hasMore  whether a next page exists
     */
    public record OrdersPage(List<String> orderIds, boolean hasMore) {
    }

    /**
     * A downloadable certificate chain.
     *
     * @param id       certificate id
     * @param pemChain leaf and chain, PEM
     * @param chains   how many chains there are (the others are alternates)
     */
    public record CertificateView(String id, String pemChain, int chains) {
    }
}
