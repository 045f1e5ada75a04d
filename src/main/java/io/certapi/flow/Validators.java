package io.certapi.flow;

import io.certapi.validation.CaaChecker;
import io.certapi.validation.Dns01Validator;
import io.certapi.validation.Http01Validator;
import io.certapi.validation.TlsAlpn01Validator;
import jakarta.enterprise.context.ApplicationScoped;

/** The validators of the validation package, handed to the worker as one. */
@ApplicationScoped
public class Validators {

    private final Http01Validator http01;
    private final Dns01Validator dns01;
    private final TlsAlpn01Validator tlsAlpn01;
    private final CaaChecker caa;

    /** Collects the validators. */
    public Validators(Http01Validator http01, Dns01Validator dns01, TlsAlpn01Validator tlsAlpn01,
            CaaChecker caa) {
        this.http01 = http01;
        this.dns01 = dns01;
        this.tlsAlpn01 = tlsAlpn01;
        this.caa = caa;
    }

    /** http-01. */
    public Http01Validator http01() {
        return http01;
    }

    /** dns-01. */
    public Dns01Validator dns01() {
        return dns01;
    }

    /** tls-alpn-01. */
    public TlsAlpn01Validator tlsAlpn01() {
        return tlsAlpn01;
    }

    /** CAA. */
    public CaaChecker caa() {
        return caa;
    }
}
