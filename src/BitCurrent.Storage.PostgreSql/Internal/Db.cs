using System.Net.Sockets;
using Npgsql;

namespace BitCurrent.Storage.PostgreSql.Internal;

/// <summary>Opening connections with errors an operator can read, and small command helpers.</summary>
internal static class Db
{
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            throw new StorageException(StorageError.ConnectionFailed, $"cannot connect to PostgreSQL ({Describe(dataSource)}): {Reason(e)}", e);
        }
    }

    public static string Describe(NpgsqlDataSource dataSource)
    {
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"host {builder.Host ?? "localhost"}, port {builder.Port}, database {builder.Database ?? builder.Username ?? "(default)"}, user {builder.Username ?? "(default)"}";
    }

    private static bool IsConnectionFailure(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState is "28000" or "28P01" or "3D000" or "57P03" or "53300",
        NpgsqlException => true,
        SocketException => true,
        TimeoutException => true,
        _ => false,
    };

    private static string Reason(Exception e)
    {
        if (e is PostgresException pg) return pg.MessageText;
        var inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return inner == e ? e.Message : $"{e.Message} ({inner.Message})";
    }

    /// <summary>A batch command with positional parameters; numerics and timestamps get their PostgreSQL types, DBNull stays untyped.</summary>
    public static NpgsqlBatchCommand BatchCommand(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                decimal or System.Numerics.BigInteger => new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric },
                DateTimeOffset time => new NpgsqlParameter { Value = time, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                _ => new NpgsqlParameter { Value = value },
            });
        }
        return command;
    }

    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return (T)value!;
    }

    /// <summary>True when the table exists in the connection's search path.</summary>
    public static async Task<bool> TableExistsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
