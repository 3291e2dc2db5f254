using System.Globalization;
using Npgsql;

namespace BitCurrent.Storage.PostgreSql.Tests;

/// <summary>
/// A uniquely named database on the server given by <c>BITCURRENT_POSTGRES</c> (which <c>./test.sh</c> starts and
/// exports), created for one test class and dropped after it. Without the variable every test fails with the
/// instructions: integration tests never skip.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public const string Variable = "BITCURRENT_POSTGRES";
    private static int _counter;

    public TestDatabase()
    {
        var admin = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set. These are integration tests on a real PostgreSQL: run ./test.sh (it starts a throwaway " +
                $"PostgreSQL 15 and exports {Variable}), or set {Variable} to an Npgsql connection string of a superuser, " +
                "e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres");
        }
        AdminConnectionString = admin;
        Name = string.Create(CultureInfo.InvariantCulture,
            $"bc_test_{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}_{Random.Shared.Next(100_000, 999_999)}");
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = Name, Pooling = true }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string AdminConnectionString { get; }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; private set; }

    public async ValueTask InitializeAsync() => await CreateAsync(Name);

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await DropAsync(Name);
    }

    /// <summary>Drops and recreates the database (and renews the pool), e.g. between independent scenarios of one class.</summary>
    public async Task RecreateAsync()
    {
        await DataSource.DisposeAsync();
        await DropAsync(Name);
        await CreateAsync(Name);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>A connection string to another (new) database on the same server; the caller drops it with <see cref="DropAsync"/>.</summary>
    public async Task<string> CreateSiblingAsync(string suffix)
    {
        var name = Name + "_" + suffix;
        await CreateAsync(name);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task CreateAsync(string name)
    {
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every row of a query as strings (null as "NULL"), columns joined by '|'.</summary>
    public async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var cells = new string[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
                cells[i] = reader.IsDBNull(i) ? "NULL"
                    : reader.GetDataTypeName(i).StartsWith("numeric", StringComparison.Ordinal) ? reader.GetFieldValue<System.Numerics.BigInteger>(i).ToString(CultureInfo.InvariantCulture)
                    : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
            rows.Add(string.Join('|', cells));
        }
        return rows;
    }
}
