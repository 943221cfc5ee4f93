package dev.pawkit.sync.api.web;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * How Tomcat may read request bodies, so that none is read by a blocking thread before
 * {@link RequestBodyReader} (the API takes JSON only): no form bodies parsed into parameters (a
 * query string read for a form POST would have read its body first), and no unread body drained
 * after an error answer ({@link UnreadBodyValve}).
 */
@Component
class TomcatRequestReading implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> connector.setParseBodyMethods(""));
        factory.addContextValves(new UnreadBodyValve());
    }
}
